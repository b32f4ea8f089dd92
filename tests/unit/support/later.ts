/** An answer the test gives when it chooses (`answer`, `fail`), as a background or a browser that takes a moment. */
export function later<T>() {
  let answer!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}
