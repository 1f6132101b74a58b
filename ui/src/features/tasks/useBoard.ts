// A kanban board's state and what can be done on it: reading it (again when its tasks change),
// moving a card (shown at once, put back with the reason in words if the server refuses),
// showing more of a long stage, and its managers' changes to its stages. TaskBoard provides
// it to its columns and cards (boardKey).
import { computed, nextTick, onScopeDispose, ref, type InjectionKey, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { asApiError, type ApiError } from '@/api/client'
import { useNow } from '@/composables/useNow'
import { debounce } from '@/lib/debounce'
import { useLive } from '@/stores/live'
import { useNotify } from '@/stores/notify'
import { useSession } from '@/stores/session'
import { getTask } from './api'
import {
  appendCards,
  applyMove,
  belongsOn,
  isNoop,
  movable,
  nextPage,
  onBoard,
  perStage,
  placeOf,
  reloadPerStage,
  replaceCard,
  stepMove,
  toStageMove,
  type CardMove,
} from './board'
import { addStage, deleteStage, getBoard, listStageCards, moveCard, setStage, type Board } from './boardApi'

/** Why a board could not be shown: not found, or refused in words (members only, Tasks off), or failed. */
export interface BoardError {
  status: number
  code: string
  detail: string
}

// News of a card I moved myself is no news: the board already shows it.
const ownNewsMs = 3000

export function useBoard(id: Ref<string>) {
  const { t } = useI18n()
  const notify = useNotify()
  const session = useSession()

  /** The time, for the deadlines missed. */
  const now = useNow(60_000)

  const board = ref<Board>()
  const loading = ref(false)
  const error = ref<BoardError>()
  let latest = 0

  /** load reads the board; quietly, it keeps what is shown until the answer comes (and as many cards as shown). */
  async function load(quiet = false) {
    const mine = ++latest
    const current = board.value
    if (!quiet) {
      board.value = undefined
      error.value = undefined
      loading.value = true
    }
    const start = performance.now()
    try {
      const answer = await getBoard(id.value, quiet && current ? reloadPerStage(current.stages) : perStage)
      if (mine !== latest) return
      board.value = answer
      error.value = undefined
      // How long the board took to read and show (read by the performance measurements).
      if (!quiet) void nextTick(() => performance.measure('annex:board-load', { start }))
    } catch (e) {
      if (mine !== latest) return
      const err = asApiError(e)
      if (err.handled) return
      if (!quiet || !current) error.value = { status: err.status, code: err.code, detail: err.detail }
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  const stages = computed(() => board.value?.stages ?? [])
  const setStages = (next: Board['stages']) => {
    if (board.value) board.value = { ...board.value, stages: next }
  }

  /** What a screen reader is told after a change it cannot see. */
  const announcement = ref('')

  // Moving: one card at a time; dragging stops meanwhile.
  const moving = ref('')
  /** A drag is under way: the board is not read again until it ends. */
  const dragging = ref(false)
  const ownMoves = new Map<string, number>()

  const mayMove = (task: Board['stages'][number]['cards'][number]) => board.value !== undefined && movable(board.value, task)

  /** refusal is a failed write in words; an archived group also makes the board read-only. */
  function refusal(err: ApiError): string {
    if (err.status === 409 && err.code === 'task_group_archived' && board.value) board.value = { ...board.value, readOnly: true, mayManage: false }
    return [err.detail, ...Object.values(err.fields)].filter((m, i, all) => m && all.indexOf(m) === i).join(' ')
  }

  /**
   * move puts a card in its new place at once and tells the server; a refusal puts it back
   * and says why. focus: give the card's menu the focus again once it is in its new place.
   */
  async function move(m: CardMove, focus = false) {
    const current = board.value
    if (!current || moving.value || isNoop(current.stages, m)) return
    const from = placeOf(current.stages, m.taskId)
    const task = current.stages.flatMap((s) => s.cards).find((c) => c.id === m.taskId)
    const next = applyMove(current.stages, m)
    if (!from || !task || !next) return
    const start = performance.now()
    moving.value = m.taskId
    ownMoves.set(m.taskId, Number.POSITIVE_INFINITY)
    setStages(next)
    const to = next.find((s) => s.id === m.stageId)
    const place = (to?.cards.findIndex((c) => c.id === m.taskId) ?? 0) + 1
    announcement.value = t('tasks.board.moved', { title: task.title, stage: to?.name ?? '', n: place })
    void nextTick(() => {
      performance.measure('annex:board-move-shown', { start })
      if (focus) focusCard(m.taskId)
    })
    try {
      const answer = await moveCard(id.value, m.taskId, m.stageId, m.afterId)
      setStages(replaceCard(stages.value, answer))
      performance.measure('annex:board-move', { start })
    } catch (e) {
      const back = applyMove(stages.value, { taskId: m.taskId, stageId: from.stageId, afterId: from.afterId })
      setStages(back ?? current.stages)
      if (focus) void nextTick(() => focusCard(m.taskId))
      const err = asApiError(e)
      if (err.handled) return
      // The toast says it (to screen readers too); the move announced is no more.
      announcement.value = ''
      notify.error(t('tasks.board.moveFailed', { title: task.title, message: refusal(err) }))
      if (err.status === 403 && err.code === 'task_read_only') {
        setStages(replaceCard(stages.value, { ...task, mayChangeStatus: false }))
      }
      // The board changed meanwhile (a stage or a card gone): read it again.
      if (err.status === 404 || err.status === 422) void load(true)
    } finally {
      moving.value = ''
      ownMoves.set(m.taskId, Date.now())
      if (pending) reloadSoon()
    }
  }

  const step = (taskId: string, delta: -1 | 1) => {
    const m = stepMove(stages.value, taskId, delta)
    if (m) void move(m, true)
  }
  const toStage = (taskId: string, stageId: string) => {
    const m = toStageMove(stages.value, taskId, stageId)
    if (m) void move(m, true)
  }

  /** The card whose menu is open, and its button: the board has one menu for all its cards. */
  const cardMenu = ref<{ taskId: string; button: HTMLElement }>()
  // The click on a card's button that closes its open menu closes it first as a click outside
  // it (the menu's own closing, by): it must not open it again.
  let closed = { taskId: '', at: 0 }
  function closeCardMenu(byMenu = false) {
    if (cardMenu.value && byMenu) closed = { taskId: cardMenu.value.taskId, at: performance.now() }
    cardMenu.value = undefined
  }
  function openCardMenu(taskId: string, button: HTMLElement) {
    if (cardMenu.value?.taskId === taskId) return closeCardMenu()
    if (closed.taskId === taskId && performance.now() - closed.at < 300) return
    cardMenu.value = { taskId, button }
  }

  /** The id of a card's menu button (to give it the focus back after a move). */
  const cardMenuId = (taskId: string) => `board-card-menu-${taskId}`
  function focusCard(taskId: string) {
    const el = document.getElementById(cardMenuId(taskId))
    el?.focus()
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }

  // "Show more": the next page of a stage, under the cards shown.
  const more = ref(new Set<string>())
  async function showMore(stageId: string) {
    const stage = stages.value.find((s) => s.id === stageId)
    if (!stage || more.value.has(stageId)) return
    more.value = new Set(more.value).add(stageId)
    const start = performance.now()
    try {
      const { page: number, perPage } = nextPage(stage.cards.length)
      const page = await listStageCards(id.value, stageId, number, perPage)
      setStages(stages.value.map((s) => (s.id === stageId ? { ...s, cards: appendCards(s.cards, page.items ?? []), total: page.total } : s)))
      void nextTick(() => performance.measure('annex:board-more', { start }))
    } catch (e) {
      const err = asApiError(e)
      if (!err.handled) notify.error(refusal(err))
      if (err.status === 404) void load(true)
    } finally {
      const rest = new Set(more.value)
      rest.delete(stageId)
      more.value = rest
    }
  }

  // The stages, for its managers: each change answers with the whole board. Errors are the
  // dialogs' to show (they throw).
  const addStageNamed = async (name: string) => (board.value = await addStage(id.value, name))
  const renameStage = async (stageId: string, name: string) => (board.value = await setStage(id.value, stageId, { name }))
  const removeStage = async (stageId: string, target: string) => (board.value = await deleteStage(id.value, stageId, target))
  async function shiftStage(stageId: string, delta: -1 | 1) {
    const i = stages.value.findIndex((s) => s.id === stageId)
    const to = i + delta
    if (i < 0 || to < 0 || to >= stages.value.length) return
    try {
      board.value = await setStage(id.value, stageId, { position: to })
      const stage = board.value.stages.find((s) => s.id === stageId)
      announcement.value = t('tasks.board.stageMoved', { name: stage?.name ?? '', n: to + 1, total: board.value.stages.length })
    } catch (e) {
      const err = asApiError(e)
      if (!err.handled) notify.error(refusal(err))
    }
  }

  // Live: a card on the board changed, or a task that belongs on it (new, or newly mine): read
  // the board again once the news is over, never in the middle of a drag or a move.
  let pending = false
  const reloadSoon = debounce(() => {
    if (dragging.value || moving.value) {
      pending = true
      return
    }
    pending = false
    void load(true)
  }, 1000)
  onScopeDispose(reloadSoon.cancel)
  useLive().onTaskChanged((taskId) => {
    const current = board.value
    if (!current) return
    if (taskId === '') return reloadSoon()
    const own = ownMoves.get(taskId)
    if (own !== undefined && Date.now() - own < ownNewsMs) return
    if (onBoard(current.stages, taskId)) return reloadSoon()
    getTask(taskId).then(
      (task) => {
        if (board.value === current && belongsOn(current, task, session.me?.id ?? '')) reloadSoon()
      },
      () => undefined,
    )
  })
  function dragEnded() {
    dragging.value = false
    if (pending) reloadSoon()
  }

  return {
    id,
    now,
    board,
    stages,
    loading,
    error,
    load,
    announcement,
    moving,
    dragging,
    dragEnded,
    mayMove,
    move,
    step,
    toStage,
    cardMenuId,
    cardMenu,
    openCardMenu,
    closeCardMenu,
    more,
    showMore,
    addStage: addStageNamed,
    renameStage,
    removeStage,
    shiftStage,
  }
}

export type BoardContext = ReturnType<typeof useBoard>
export const boardKey: InjectionKey<BoardContext> = Symbol('board')
