// How a secret-ish identifier (a URL token, an API key) may appear in logs and on screen: enough to tell two
// apart, never enough to use. One rule for every place that shows one.
export function abbreviateToken(token: string): string {
  if (token.length < 12) return '…';
  return `${token.slice(0, 4)}…${token.slice(-2)}`;
}
