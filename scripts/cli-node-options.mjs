// The Node options the built CLI runs with, wherever the project starts it as a process of its own:
// `npm run cli` (package.json's "cli" script carries them: npm cannot read them from here, and
// tests/scripts/cli-node-options.test.ts keeps the two equal), `npm start` in browser mode, and
// `npm run bench filter-cli` (which runs its baseline with them too).
//
// --v8-pool-size=0 sizes V8's worker pool to the machine (its parallelism minus the main thread, at least
// one) instead of Node's fixed four. The pool compiles hot functions concurrently; on two cores, four
// workers compiling at once preempt the main thread, which is the one doing the filtering, the stream and
// the event loop. Measured with `npm run bench filter-cli` on two cores (issue 13): the `filter` CLI on
// 2 MB of whole texts took 2.00x the one-regex baseline with Node's default and 1.74x with this, GPT-token
// arrays 1.62x and 1.50x; the baseline itself does not change (it compiles almost nothing).
export const CLI_NODE_OPTIONS = ['--v8-pool-size=0'];
