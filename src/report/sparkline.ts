const BARS = '▁▂▃▄▅▆▇█';

/** A small bar chart of a series in `width` characters: each character is the max of its slice of the series. */
export function sparkline(values: number[], width = 12): string {
  if (values.length === 0) return '';
  const buckets = Math.min(width, values.length);
  const maxes: number[] = [];
  for (let i = 0; i < buckets; i++) {
    const from = Math.floor((i * values.length) / buckets);
    const to = Math.floor(((i + 1) * values.length) / buckets);
    // A loop, not Math.max(...slice): a long run's timeline would overflow the stack.
    let max = -Infinity;
    for (let j = from; j < Math.max(to, from + 1); j++) max = Math.max(max, values[j]);
    maxes.push(max);
  }
  const top = Math.max(...maxes);
  if (top <= 0) return BARS[0].repeat(buckets);
  return maxes.map((v) => BARS[Math.min(BARS.length - 1, Math.floor((v / top) * (BARS.length - 1) + 0.5))]).join('');
}
