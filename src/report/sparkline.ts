const BARS = '▁▂▃▄▅▆▇█';

/** A small bar chart of a series in `width` characters: each character is the max of its slice of the series. */
export function sparkline(values: number[], width = 12): string {
  if (values.length === 0) return '';
  const buckets = Math.min(width, values.length);
  const maxes: number[] = [];
  for (let i = 0; i < buckets; i++) {
    const from = Math.floor((i * values.length) / buckets);
    const to = Math.floor(((i + 1) * values.length) / buckets);
    maxes.push(Math.max(...values.slice(from, Math.max(to, from + 1))));
  }
  const top = Math.max(...maxes);
  if (top <= 0) return BARS[0].repeat(buckets);
  return maxes.map((v) => BARS[Math.min(BARS.length - 1, Math.floor((v / top) * (BARS.length - 1) + 0.5))]).join('');
}
