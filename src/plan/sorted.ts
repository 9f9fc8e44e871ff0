/** Deterministic lists: by name, one entry per name (the first seen wins). */
export function sortedUniqueByName<T extends { readonly name: string }>(items: Iterable<T>): T[] {
  const byName = new Map<string, T>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
