// Types of cli-node-options.mjs (plain JS: `npm start` imports it without a TypeScript loader).
export declare const CLI_NODE_OPTIONS: readonly string[];
