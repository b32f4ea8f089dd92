import { describe, expect, it } from 'vitest';
import { alternately, figuresOf, inRotation, median } from '../../../scripts/bench/rounds';

/** Measurements that record the order they ran in and answer their own name. */
function recorded(names: readonly string[]) {
  const calls: string[] = [];
  const measures = names.map((name) => async () => {
    calls.push(name);
    return name;
  });
  return { calls, measures };
}

describe("the bench's rounds", () => {
  it('run two measurements in ABBA order and give each round as { a, b }', async () => {
    const { calls, measures } = recorded(['a', 'b']);
    const runs = await alternately(4, measures[0]!, measures[1]!);
    expect(calls).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    expect(runs).toEqual(Array.from({ length: 4 }, () => ({ a: 'a', b: 'b' })));
  });

  it('run three measurements in all six orders in turn, each first, middle and last twice', async () => {
    const { calls, measures } = recorded(['x', 'y', 'z']);
    const runs = await inRotation(6, measures);
    const orders = Array.from({ length: 6 }, (_, round) => calls.slice(round * 3, round * 3 + 3).join(''));
    expect(new Set(orders).size).toBe(6);
    for (const position of [0, 1, 2]) {
      const atPosition = orders.map((order) => order[position]).sort();
      expect(atPosition).toEqual(['x', 'x', 'y', 'y', 'z', 'z']);
    }
    // Whatever the order of a round, its results come back in the measurements' own order.
    expect(runs).toEqual(Array.from({ length: 6 }, () => ['x', 'y', 'z']));
  });

  it('run four measurements in four orders: each in each place once, each following each other once', async () => {
    const { calls, measures } = recorded(['w', 'x', 'y', 'z']);
    await inRotation(4, measures);
    const orders = Array.from({ length: 4 }, (_, round) => calls.slice(round * 4, round * 4 + 4));
    for (const position of [0, 1, 2, 3]) {
      expect(orders.map((order) => order[position]).sort()).toEqual(['w', 'x', 'y', 'z']);
    }
    const followings = orders.flatMap((order) => order.slice(1).map((name, i) => `${order[i]}${name}`));
    expect(new Set(followings).size).toBe(12);
  });

  it('start the order over after every order has had its round', async () => {
    const { calls, measures } = recorded(['x', 'y', 'z']);
    await inRotation(7, measures);
    expect(calls.slice(18)).toEqual(calls.slice(0, 3));
  });

  it("give each measurement's medians to a tenth and each ratio as the median of the rounds' own ratios", () => {
    const runs = [
      [
        { perSecond: 10, perCpu: 30 },
        { perSecond: 1, perCpu: 10 },
      ],
      [
        { perSecond: 20, perCpu: 10 },
        { perSecond: 2, perCpu: 30 },
      ],
      [
        { perSecond: 30, perCpu: 20.15 },
        { perSecond: 3, perCpu: 40 },
      ],
      [
        { perSecond: 40, perCpu: 20.2 },
        { perSecond: 4, perCpu: 10 },
      ],
    ];
    const { perSecond, perCpu, ratio } = figuresOf(runs);
    expect(perSecond(0)).toBe(25);
    expect(perCpu(0)).toBe(20.2);
    expect(perCpu(1)).toBe(20);
    // Round by round (3, 0.33, 0.50, 2.02: 1.26), not the ratio of the medians (20.175 / 20: 1.01).
    expect(ratio(0, 1)).toBe(1.26);
    expect(ratio(1, 0)).toBe(1.24);
    // Per second when asked (each round 10), not per CPU-second.
    expect(ratio(0, 1, 'perSecond')).toBe(10);
  });

  it('take the median, the mean of the middle two for an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
