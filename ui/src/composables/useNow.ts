import { onScopeDispose, ref } from 'vue'

/** useNow is the current time, renewed every interval milliseconds while the view is shown (clocks). */
export function useNow(interval = 15_000) {
  const now = ref(new Date())
  const timer = setInterval(() => (now.value = new Date()), interval)
  onScopeDispose(() => clearInterval(timer))
  return now
}
