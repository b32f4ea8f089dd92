/**
 * A door a flow can be held at, to order a race step by step: the flow awaits `pass()`, the test awaits `reached`
 * (the flow waits there) and then calls `open()` to let it through.
 */
export function door() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return {
    reached,
    open: () => open(),
    pass(): Promise<void> {
      arrive();
      return opened;
    },
  };
}
