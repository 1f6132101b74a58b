/** Debounced runs its function once calls have stopped for a while; cancel drops a pending run. */
export interface Debounced {
  (): void
  cancel(): void
}

/** debounce makes fn run ms after the last of a burst of calls, once. */
export function debounce(fn: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined
  const cancel = () => {
    clearTimeout(timer)
    timer = undefined
  }
  const run = () => {
    cancel()
    timer = setTimeout(() => {
      timer = undefined
      fn()
    }, ms)
  }
  return Object.assign(run, { cancel })
}
