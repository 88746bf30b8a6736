/** Orders things by name, by UTF-16 code units (the same on every machine, unlike localeCompare). */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
