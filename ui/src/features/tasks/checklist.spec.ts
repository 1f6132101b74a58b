import { describe, expect, it } from 'vitest'
import { addErrors, checklistProgress, moveItem, splitLines } from './checklist'

describe('splitLines', () => {
  it('makes one line of each pasted line, blank ones dropped', () => {
    expect(splitLines('Book the room\r\n\nSend the agenda\rPrint   the   slides  \n')).toEqual([
      'Book the room',
      'Send the agenda',
      'Print the slides',
    ])
  })

  it('drops list markers and checkboxes copied from notes or Markdown', () => {
    expect(splitLines('- Milk\n* Bread\n• Eggs\n- [ ] Tea\n- [x] Jam\n[X] Salt\n+ Rice')).toEqual([
      'Milk',
      'Bread',
      'Eggs',
      'Tea',
      'Jam',
      'Salt',
      'Rice',
    ])
  })

  it('keeps a dash or number that is part of the text', () => {
    expect(splitLines('-5 degrees outside\n2027. Plan the year\nCall Anna - urgent')).toEqual([
      '-5 degrees outside',
      '2027. Plan the year',
      'Call Anna - urgent',
    ])
  })

  it('gives nothing for blank text or bare markers', () => {
    expect(splitLines('')).toEqual([])
    expect(splitLines('  \n\t\n')).toEqual([])
    expect(splitLines('- \n- [ ] ')).toEqual([])
  })

  it('keeps a single typed line as it is', () => {
    expect(splitLines('  Ask Boris about the invoice ')).toEqual(['Ask Boris about the invoice'])
  })
})

describe('checklistProgress', () => {
  it('counts the lines done, of all, in whole percent', () => {
    expect(checklistProgress([{ done: true }, { done: false }, { done: true }, { done: false }, { done: true }])).toEqual({
      done: 3,
      total: 5,
      percent: 60,
    })
    expect(checklistProgress([{ done: true }, { done: false }, { done: false }])).toEqual({ done: 1, total: 3, percent: 33 })
  })

  it('is zero of zero for an empty list, and 100 when all are done', () => {
    expect(checklistProgress([])).toEqual({ done: 0, total: 0, percent: 0 })
    expect(checklistProgress([{ done: true }, { done: true }])).toEqual({ done: 2, total: 2, percent: 100 })
  })
})

describe('moveItem', () => {
  const list = ['a', 'b', 'c', 'd']
  it('moves an element up or down, leaving the list alone', () => {
    expect(moveItem(list, 3, 1)).toEqual(['a', 'd', 'b', 'c'])
    expect(moveItem(list, 0, 2)).toEqual(['b', 'c', 'a', 'd'])
    expect(list).toEqual(['a', 'b', 'c', 'd'])
  })

  it('clamps a place past either end, and ignores an element that is not there', () => {
    expect(moveItem(list, 1, 99)).toEqual(['a', 'c', 'd', 'b'])
    expect(moveItem(list, 2, -1)).toEqual(['c', 'a', 'b', 'd'])
    expect(moveItem(list, 7, 0)).toEqual(list)
  })
})

describe('addErrors', () => {
  it('names the refused lines from 1, in order, after an error about the whole list', () => {
    expect(
      addErrors({
        'items[10]': 'This is too long.',
        'items[2]': 'Remove the control characters.',
        items: 'A checklist holds at most 200 lines; this one has room for 3 more.',
      }),
    ).toEqual([
      { message: 'A checklist holds at most 200 lines; this one has room for 3 more.' },
      { line: 3, message: 'Remove the control characters.' },
      { line: 11, message: 'This is too long.' },
    ])
  })

  it('ignores fields of other names', () => {
    expect(addErrors({ title: 'x' })).toEqual([])
  })
})
