// The pure parts of a kanban board: where a card is, where a drop or a menu puts it, the
// board once a card moved (and back), the pages of a long stage, and which news concerns it.
import type { TaskItem } from '@/api/types'
import type { BoardStage } from './boardApi'

/** Cards shown per stage at first, and added by each "Show more". */
export const perStage = 50
/** The most cards per stage the server gives in one answer. */
export const maxPerStage = 100
/** The longest name of a stage (the server's limit). */
export const maxStageName = 60

/** A card's place: its stage, and the card it follows there ('' at the top). */
export interface CardPlace {
  stageId: string
  afterId: string
}

/** CardMove is a card going to a place (moveCard's body, and the task's id). */
export interface CardMove extends CardPlace {
  taskId: string
}

/** placeOf finds a card on the board: its stage, its index there and the card before it. */
export function placeOf(stages: readonly BoardStage[], taskId: string): (CardPlace & { index: number }) | undefined {
  for (const stage of stages) {
    const index = stage.cards.findIndex((c) => c.id === taskId)
    if (index >= 0) return { stageId: stage.id, index, afterId: index > 0 ? (stage.cards[index - 1]?.id ?? '') : '' }
  }
  return undefined
}

/**
 * afterIdIn reads a drop from the order of the cards' ids in the stage it landed in (the
 * page's order once the card is there): the card before it, '' at the top; undefined if
 * the card is not among them.
 */
export function afterIdIn(ids: readonly string[], taskId: string): string | undefined {
  const i = ids.indexOf(taskId)
  if (i < 0) return undefined
  return i === 0 ? '' : (ids[i - 1] ?? '')
}

/** isNoop tells a move that leaves the card where it is. */
export function isNoop(stages: readonly BoardStage[], move: CardMove): boolean {
  const at = placeOf(stages, move.taskId)
  return at !== undefined && at.stageId === move.stageId && at.afterId === move.afterId
}

/**
 * applyMove is the board once the card moved: out of its stage, into the target right after
 * afterId (at the top for ''), the counts following. The task, when given, replaces the card
 * (the server's answer). Stages not touched keep their identity. undefined when the card,
 * the stage or the card to follow is not on the board as shown.
 */
export function applyMove(stages: readonly BoardStage[], move: CardMove, task?: TaskItem): BoardStage[] | undefined {
  const from = placeOf(stages, move.taskId)
  const target = stages.find((s) => s.id === move.stageId)
  if (!from || !target || move.afterId === move.taskId) return undefined
  const source = stages.find((s) => s.id === from.stageId) as BoardStage
  const card = task ?? (source.cards[from.index] as TaskItem)
  const out = stages.map((s) => {
    if (s.id !== from.stageId && s.id !== move.stageId) return s
    let cards = s.cards
    let total = s.total
    if (s.id === from.stageId) {
      cards = cards.filter((c) => c.id !== move.taskId)
      total--
    }
    if (s.id === move.stageId) {
      const after = move.afterId === '' ? 0 : cards.findIndex((c) => c.id === move.afterId) + 1
      if (after === 0 && move.afterId !== '') return undefined
      cards = [...cards.slice(0, after), card, ...cards.slice(after)]
      total++
    }
    return { ...s, cards, total }
  })
  return out.every((s): s is BoardStage => s !== undefined) ? out : undefined
}

/** replaceCard puts the server's answer for a card in its place (the stages not holding it unchanged). */
export function replaceCard(stages: readonly BoardStage[], task: TaskItem): BoardStage[] {
  return stages.map((s) => (s.cards.some((c) => c.id === task.id) ? { ...s, cards: s.cards.map((c) => (c.id === task.id ? task : c)) } : s))
}

/** stepMove is the move one place up (-1) or down (+1) in the card's stage; undefined at its edge. */
export function stepMove(stages: readonly BoardStage[], taskId: string, delta: -1 | 1): CardMove | undefined {
  const at = placeOf(stages, taskId)
  if (!at) return undefined
  const cards = (stages.find((s) => s.id === at.stageId) as BoardStage).cards
  const to = at.index + delta
  if (to < 0 || to >= cards.length) return undefined
  // Up: after the card two places before; down: after the card that followed it.
  const afterId = delta < 0 ? (to === 0 ? '' : (cards[to - 1]?.id ?? '')) : (cards[to]?.id ?? '')
  return { taskId, stageId: at.stageId, afterId }
}

/** toStageMove is the move to the top of another stage; undefined if it is already in that stage. */
export function toStageMove(stages: readonly BoardStage[], taskId: string, stageId: string): CardMove | undefined {
  const at = placeOf(stages, taskId)
  if (!at || at.stageId === stageId || !stages.some((s) => s.id === stageId)) return undefined
  return { taskId, stageId, afterId: '' }
}

/** hasMore tells a stage some of whose cards are not shown yet. */
export const hasMore = (stage: Pick<BoardStage, 'cards' | 'total'>) => stage.cards.length < stage.total

/**
 * nextPage is the page to ask for under the cards shown: the page's size (perStage to
 * maxPerStage) and number. The cards shown are the stage's first ones (a card moved in or out
 * moved on the server too), so a page that starts at or before the first card not shown skips
 * nothing (appendCards drops those shown already). Of those sizes, the smallest whose page
 * brings perStage new cards, else the one that brings the most.
 */
export function nextPage(shown: number): { page: number; perPage: number } {
  let best = { page: 1, perPage: perStage, fresh: -1 }
  for (let perPage = perStage; perPage <= maxPerStage; perPage++) {
    const fresh = perPage - (shown % perPage)
    if (fresh > best.fresh) best = { page: Math.floor(shown / perPage) + 1, perPage, fresh }
    if (fresh >= perStage) break
  }
  return { page: best.page, perPage: best.perPage }
}

/** appendCards adds a page's cards under those shown, without the ones already there. */
export function appendCards(cards: readonly TaskItem[], page: readonly TaskItem[]): TaskItem[] {
  const shown = new Set(cards.map((c) => c.id))
  return [...cards, ...page.filter((c) => !shown.has(c.id))]
}

/** reloadPerStage is how many cards per stage to ask for when the board is read again: as many as shown, within the server's bounds. */
export function reloadPerStage(stages: readonly Pick<BoardStage, 'cards'>[]): number {
  return Math.min(maxPerStage, Math.max(perStage, ...stages.map((s) => s.cards.length)))
}

/** onBoard tells whether a card with this id is shown on the board. */
export const onBoard = (stages: readonly BoardStage[], taskId: string) => stages.some((s) => s.cards.some((c) => c.id === taskId))

/**
 * belongsOn tells whether a task not shown yet could be on the board: a group's task on
 * its group's board; on my planner, one I am responsible for or take part in.
 */
export function belongsOn(board: { kind: 'group' | 'planner'; id: string }, task: TaskItem, me: string): boolean {
  if (board.kind === 'group') return task.groupId === board.id
  return task.responsible?.id === me || task.participants.some((p) => p.id === me)
}

/** movable tells a card that may be moved: on a group's board, by who may change its status; on a planner, always. */
export function movable(board: { kind: 'group' | 'planner'; readOnly: boolean }, task: Pick<TaskItem, 'mayChangeStatus'>): boolean {
  return !board.readOnly && (board.kind === 'planner' || task.mayChangeStatus)
}
