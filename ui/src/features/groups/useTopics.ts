import { onMounted, ref, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { asApiError } from '@/api/client'
import type { Topic } from '@/api/types'
import { listTopics } from '@/features/topics/api'

/**
 * useTopics loads the topics groups are filed under, once enabled (employees only: external
 * users get no topics). error says in words why they could not be loaded.
 */
export function useTopics(enabled: MaybeRefOrGetter<boolean> = true) {
  const topics = ref<Topic[]>([])
  const loaded = ref(false)
  const error = ref('')
  let asked = false

  async function load() {
    asked = true
    error.value = ''
    try {
      topics.value = (await listTopics()).items ?? []
      loaded.value = true
    } catch (e) {
      const err = asApiError(e)
      if (!err.handled) error.value = err.detail
      asked = false
    }
  }

  onMounted(() => {
    watch(
      () => toValue(enabled),
      (on) => {
        if (on && !asked) void load()
      },
      { immediate: true },
    )
  })

  return { topics, loaded, error, reload: load }
}
