// The tool's version, from package.json (inlined by the bundler).
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
export const APP_ID = 'cognigy-stream-debugger';
