// Chat-answer-like text for the filter benchmarks: prose with markdown, look-alike numbers (dates,
// versions, amounts) and synthetic PII values (fake, valid-looking test numbers, none real). Seeded.
const WORDS = `the a to of and in is it you that for on with as are this be can your have or will at by from an
not we if use all more when which one there their what so about would out up time also into some these other
answer stream token model filter session request response config value number version please note example
first then each step data user text output input error retry debug release build order invoice total amount`.split(/\s+/);
const PII = [
  'card 4111 1111 1111 1111', 'mail jane.doe@example.com', 'IBAN DE89 3704 0044 0532 0130 00', 'call me at +1 415 555 2671',
  'SSN 123-45-6789', 'host 192.168.10.24', 'addr 2001:db8::8a2e:370:7334', 'phone: 0490 75 40 81', 'what the hell',
];
const LOOKALIKES = ['order 1234567890123', 'v2.14.3', 'at 12:20:39', 'on 2024-01-15', 'zip 94103', 'in 2019', '$1,234.56', '3.14159', 'snake_case', '`x = 2*3`', '**bold**', 'https://example.org/a_b'];

/** About `bytes` of text; a PII value in `piiRate` of the pieces (0.003: every ~300 words, 0.02: dense). */
export function corpus(bytes: number, rnd: () => number, piiRate: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const r = rnd();
    let piece: string;
    if (r < piiRate) piece = PII[Math.floor(rnd() * PII.length)]!;
    else if (r < piiRate + 0.03) piece = LOOKALIKES[Math.floor(rnd() * LOOKALIKES.length)]!;
    else if (r < piiRate + 0.1) piece = rnd() < 0.3 ? '.\n\n- ' : rnd() < 0.5 ? ',' : '. ';
    else piece = WORDS[Math.floor(rnd() * WORDS.length)]!;
    parts.push(piece, ' ');
    size += piece.length + 1;
  }
  return parts.join('');
}
