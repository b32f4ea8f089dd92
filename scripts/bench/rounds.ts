/**
 * How the bench's comparisons take turns: measurements run back to back in rounds, in rotating order, so a shared
 * machine getting busier or quieter during a run tilts none of them; figures are medians of the rounds.
 */

/** The median of `values` (the mean of the middle two for an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** A ratio as the bench reports it: two decimals. */
export const round2 = (value: number): number => Math.round(value * 100) / 100;

/** One measurement of a round: its rate per second and per server CPU-second. */
export interface Rate {
  perSecond: number;
  perCpu: number;
}

/**
 * The figures of rounds of rates (`inRotation` of measurements answering a `Rate`), by the measurements' indices:
 * the median of one measurement's rates (to a tenth: a median of an even count is the mean of two), and the median
 * of the rounds' ratios of two measurements' rates (two decimals; per CPU-second unless said), so each ratio
 * compares figures taken at the same moment of the run.
 */
export function figuresOf(runs: readonly (readonly Rate[])[]) {
  const medianOf = (index: number, rate: keyof Rate) =>
    Math.round(median(runs.map((run) => run[index]![rate])) * 10) / 10;
  return {
    perSecond: (index: number) => medianOf(index, 'perSecond'),
    perCpu: (index: number) => medianOf(index, 'perCpu'),
    ratio: (over: number, under: number, rate: keyof Rate = 'perCpu') =>
      round2(median(runs.map((run) => run[over]![rate] / run[under]![rate]))),
  };
}

/**
 * The orders of a balanced Latin square (Williams design) of `count` measurements: over `count` rounds (twice as many
 * for an odd count, with each order's mirror) every measurement runs first, second, … and last once, and follows
 * each of the others equally often; any `count` rounds in a row give each measurement each place once.
 */
function orders(count: number): number[][] {
  // The first order zigzags 0, 1, n-1, 2, n-2, …; each next one adds 1 to every index (mod n).
  const first = Array.from({ length: count }, (_, i) => (i % 2 ? (i + 1) >> 1 : (count - (i >> 1)) % count));
  const square = Array.from({ length: count }, (_, shift) => first.map((index) => (index + shift) % count));
  return count % 2 ? [...square, ...square.map((order) => [...order].reverse())] : square;
}

/**
 * `rounds` rounds of every measurement back to back, each round in the next of their `orders` (for two: AB, BA, AB,
 * …; for three, all six orders in turn; for four, four orders), so each is first, middle and last equally often and
 * follows each of the others equally often: a machine getting busier or quieter during a run tilts none of them.
 * Returns each round's results in the measurements' own order.
 */
export async function inRotation<T>(rounds: number, measures: readonly (() => Promise<T>)[]): Promise<T[][]> {
  const sequence = orders(measures.length);
  const runs: T[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const results: T[] = [];
    for (const index of sequence[round % sequence.length]!) results[index] = await measures[index]!();
    runs.push(results);
  }
  return runs;
}

/** `inRotation` of two measurements, as `{ a, b }` (ABBA order). */
export async function alternately<A, B>(rounds: number, a: () => Promise<A>, b: () => Promise<B>) {
  const runs = await inRotation<A | B>(rounds, [a, b]);
  return runs.map(([first, second]) => ({ a: first as A, b: second as B }));
}
