// The baseline of `npm run bench filter-cli`: the least a JSONL filter can cost — the same input and output
// as `filter` (one {"id", "chunks"} line in, one {"id", "output", "hits"} line out, in order) and the same
// I/O as it (stdin read in chunks, split at '\n', the answers of one chunk written at once), with a single
// regex (card-like digit runs) instead of the real detectors.
const CARD = /\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/g;

function answer(line) {
  const rec = JSON.parse(line);
  const text = rec.chunks.join('');
  const hits = [];
  const output = text.replace(CARD, (m, start) => {
    hits.push({ type: 'CREDIT_CARD', start, end: start + m.length, action: 'mask' });
    return '[CREDIT_CARD]';
  });
  return `${JSON.stringify({ id: rec.id, output, hits })}\n`;
}

const write = (s) => (process.stdout.write(s) ? undefined : new Promise((r) => process.stdout.once('drain', r)));
let partial = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) {
  const text = partial + chunk;
  let out = '';
  let from = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
    const line = text.slice(from, nl);
    if (line.trim()) out += answer(line);
    from = nl + 1;
  }
  partial = text.slice(from);
  if (out) await write(out);
}
if (partial.trim()) await write(answer(partial));
