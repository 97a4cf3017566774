// Import first in code that runs under the renderer's CSP (renderer, preload): zod 4 otherwise probes and
// uses `new Function` to speed up object parsing, which a CSP without 'unsafe-eval' (and Trusted Types)
// refuses with a console error. Jitless parsing is the same validation, only without generated code.
import { z } from 'zod';

z.config({ jitless: true });
