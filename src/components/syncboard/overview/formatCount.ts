// Counts as the owner's locale writes them ("12,345").
const format = new Intl.NumberFormat();

export function formatCount(count: number): string {
  return format.format(count);
}
