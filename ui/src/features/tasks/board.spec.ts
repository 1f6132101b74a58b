import { describe, expect, it } from 'vitest'
import type { TaskItem } from '@/api/types'
import {
  afterIdIn,
  appendCards,
  applyMove,
  belongsOn,
  hasMore,
  isNoop,
  movable,
  nextPage,
  placeOf,
  reloadPerStage,
  replaceCard,
  stepMove,
  toStageMove,
} from './board'
import type { BoardStage } from './boardApi'

const card = (id: string, more: Partial<TaskItem> = {}): TaskItem => ({
  id,
  groupId: 'g1',
  groupName: 'Finance',
  title: `Task ${id}`,
  participants: [],
  observers: [],
  status: 'new',
  priority: 'normal',
  deadline: '',
  createdAt: '2027-03-01T09:00:00Z',
  updatedAt: '2027-03-01T09:00:00Z',
  completedAt: '',
  mayEdit: true,
  mayChangeStatus: true,
  ...more,
})

const stage = (id: string, ids: string[], total = ids.length): BoardStage => ({ id, name: id.toUpperCase(), total, cards: ids.map((c) => card(c)) })
const ids = (stages: BoardStage[] | undefined) => stages?.map((s) => `${s.id}:${s.cards.map((c) => c.id).join(',')}/${s.total}`)

const board = [stage('todo', ['a', 'b', 'c'], 10), stage('doing', ['d']), stage('done', [])]

describe('placeOf', () => {
  it('finds the stage, the index and the card before', () => {
    expect(placeOf(board, 'a')).toEqual({ stageId: 'todo', index: 0, afterId: '' })
    expect(placeOf(board, 'c')).toEqual({ stageId: 'todo', index: 2, afterId: 'b' })
    expect(placeOf(board, 'd')).toEqual({ stageId: 'doing', index: 0, afterId: '' })
    expect(placeOf(board, 'x')).toBeUndefined()
  })
})

describe('afterIdIn', () => {
  it('reads the card before the dropped one from the new order', () => {
    expect(afterIdIn(['d', 'a'], 'a')).toBe('d')
    expect(afterIdIn(['a', 'd'], 'a')).toBe('')
    expect(afterIdIn(['d'], 'a')).toBeUndefined()
  })
})

describe('applyMove', () => {
  it('moves a card between stages, the counts following', () => {
    expect(ids(applyMove(board, { taskId: 'b', stageId: 'doing', afterId: 'd' }))).toEqual(['todo:a,c/9', 'doing:d,b/2', 'done:/0'])
    expect(ids(applyMove(board, { taskId: 'd', stageId: 'done', afterId: '' }))).toEqual(['todo:a,b,c/10', 'doing:/0', 'done:d/1'])
  })

  it('moves a card within its stage, to the top, the middle and the end', () => {
    expect(ids(applyMove(board, { taskId: 'c', stageId: 'todo', afterId: '' }))).toEqual(['todo:c,a,b/10', 'doing:d/1', 'done:/0'])
    expect(ids(applyMove(board, { taskId: 'a', stageId: 'todo', afterId: 'b' }))).toEqual(['todo:b,a,c/10', 'doing:d/1', 'done:/0'])
    expect(ids(applyMove(board, { taskId: 'a', stageId: 'todo', afterId: 'c' }))).toEqual(['todo:b,c,a/10', 'doing:d/1', 'done:/0'])
  })

  it('keeps the stages it does not touch, and leaves the board given alone', () => {
    const moved = applyMove(board, { taskId: 'a', stageId: 'todo', afterId: 'b' })
    expect(moved?.[1]).toBe(board[1])
    expect(ids(board)).toEqual(['todo:a,b,c/10', 'doing:d/1', 'done:/0'])
  })

  it('puts the server’s answer in place of the card', () => {
    const moved = applyMove(board, { taskId: 'a', stageId: 'done', afterId: '' }, card('a', { title: 'Renamed' }))
    expect(moved?.[2]?.cards[0]?.title).toBe('Renamed')
  })

  it('refuses what is not on the board as shown', () => {
    expect(applyMove(board, { taskId: 'x', stageId: 'todo', afterId: '' })).toBeUndefined()
    expect(applyMove(board, { taskId: 'a', stageId: 'nowhere', afterId: '' })).toBeUndefined()
    expect(applyMove(board, { taskId: 'a', stageId: 'doing', afterId: 'x' })).toBeUndefined()
    expect(applyMove(board, { taskId: 'a', stageId: 'todo', afterId: 'a' })).toBeUndefined()
  })

  it('moves back: the place a card had undoes its move', () => {
    const from = placeOf(board, 'b')!
    const moved = applyMove(board, { taskId: 'b', stageId: 'done', afterId: '' })!
    expect(ids(applyMove(moved, { taskId: 'b', ...from }))).toEqual(ids(board))
  })
})

describe('isNoop', () => {
  it('tells a drop where the card already was', () => {
    expect(isNoop(board, { taskId: 'b', stageId: 'todo', afterId: 'a' })).toBe(true)
    expect(isNoop(board, { taskId: 'b', stageId: 'todo', afterId: '' })).toBe(false)
    expect(isNoop(board, { taskId: 'b', stageId: 'doing', afterId: 'a' })).toBe(false)
  })
})

describe('stepMove', () => {
  it('goes one place up or down, and nowhere past the edges', () => {
    expect(stepMove(board, 'b', -1)).toEqual({ taskId: 'b', stageId: 'todo', afterId: '' })
    expect(stepMove(board, 'c', -1)).toEqual({ taskId: 'c', stageId: 'todo', afterId: 'a' })
    expect(stepMove(board, 'a', 1)).toEqual({ taskId: 'a', stageId: 'todo', afterId: 'b' })
    expect(stepMove(board, 'b', 1)).toEqual({ taskId: 'b', stageId: 'todo', afterId: 'c' })
    expect(stepMove(board, 'a', -1)).toBeUndefined()
    expect(stepMove(board, 'c', 1)).toBeUndefined()
    expect(stepMove(board, 'x', 1)).toBeUndefined()
  })

  it('does what it says once applied', () => {
    expect(ids(applyMove(board, stepMove(board, 'a', 1)!))).toEqual(['todo:b,a,c/10', 'doing:d/1', 'done:/0'])
    expect(ids(applyMove(board, stepMove(board, 'c', -1)!))).toEqual(['todo:a,c,b/10', 'doing:d/1', 'done:/0'])
  })
})

describe('toStageMove', () => {
  it('goes to the top of another stage', () => {
    expect(toStageMove(board, 'b', 'doing')).toEqual({ taskId: 'b', stageId: 'doing', afterId: '' })
    expect(toStageMove(board, 'b', 'todo')).toBeUndefined()
    expect(toStageMove(board, 'b', 'nowhere')).toBeUndefined()
  })
})

describe('replaceCard', () => {
  it('replaces the card where it is', () => {
    const out = replaceCard(board, card('d', { status: 'done' }))
    expect(out[1]?.cards[0]?.status).toBe('done')
    expect(out[0]).toBe(board[0])
  })
})

describe('pages of a stage', () => {
  it('knows when more cards are there', () => {
    expect(hasMore(board[0]!)).toBe(true)
    expect(hasMore(board[1]!)).toBe(false)
  })

  it('asks for a page that starts at or before the first card not shown, bringing a page of new ones', () => {
    const fresh = (shown: number) => {
      const { page, perPage } = nextPage(shown)
      const start = (page - 1) * perPage
      expect(start).toBeLessThanOrEqual(shown)
      expect(perPage).toBeGreaterThanOrEqual(50)
      expect(perPage).toBeLessThanOrEqual(100)
      return start + perPage - shown
    }
    expect(nextPage(50)).toEqual({ page: 2, perPage: 50 })
    expect(nextPage(300)).toEqual({ page: 7, perPage: 50 })
    // A card moved in or out: a larger page that still brings fifty new ones.
    expect(nextPage(51)).toEqual({ page: 2, perPage: 51 })
    expect(nextPage(49)).toEqual({ page: 1, perPage: 99 })
    expect(nextPage(251)).toEqual({ page: 5, perPage: 61 })
    for (let shown = 0; shown <= 2000; shown++) expect(fresh(shown)).toBeGreaterThanOrEqual(50)
  })

  it('appends a page without the cards shown already', () => {
    const cards = [card('a'), card('b')]
    expect(appendCards(cards, [card('b'), card('c')]).map((c) => c.id)).toEqual(['a', 'b', 'c'])
  })

  it('reads the board again with as many cards per stage as shown, within bounds', () => {
    expect(reloadPerStage(board)).toBe(50)
    expect(reloadPerStage([{ cards: Array.from({ length: 80 }, (_, i) => card(String(i))) }])).toBe(80)
    expect(reloadPerStage([{ cards: Array.from({ length: 300 }, (_, i) => card(String(i))) }])).toBe(100)
  })
})

describe('belongsOn and movable', () => {
  const me = 'u1'
  const ref = (id: string) => ({ id, name: id, kind: 'employee' as const, active: true, photo: '' })

  it('puts a group’s tasks on its board, and mine on my planner', () => {
    expect(belongsOn({ kind: 'group', id: 'g1' }, card('a'), me)).toBe(true)
    expect(belongsOn({ kind: 'group', id: 'g2' }, card('a'), me)).toBe(false)
    expect(belongsOn({ kind: 'planner', id: me }, card('a', { responsible: ref(me) }), me)).toBe(true)
    expect(belongsOn({ kind: 'planner', id: me }, card('a', { participants: [ref('u2'), ref(me)] }), me)).toBe(true)
    expect(belongsOn({ kind: 'planner', id: me }, card('a', { responsible: ref('u2'), observers: [ref(me)] }), me)).toBe(false)
  })

  it('lets a card move where its status may change, always on a planner, never on an archived board', () => {
    expect(movable({ kind: 'group', readOnly: false }, { mayChangeStatus: true })).toBe(true)
    expect(movable({ kind: 'group', readOnly: false }, { mayChangeStatus: false })).toBe(false)
    expect(movable({ kind: 'planner', readOnly: false }, { mayChangeStatus: false })).toBe(true)
    expect(movable({ kind: 'group', readOnly: true }, { mayChangeStatus: true })).toBe(false)
  })
})
