import { describe, expect, it } from 'vitest'
import { insertMention, mentionAt, mentionedIn, mentionIds, mentionWords } from './mentions'

const anna = { id: 'u1', name: 'Anna Petrova' }
const annaK = { id: 'u2', name: 'Anna' }
const boris = { id: 'u3', name: 'Boris Ivanov' }
const olga = { id: 'u4', name: 'Ольга Смирнова' }

describe('mentionAt', () => {
  const at = (text: string) => mentionAt(text, text.length)

  it('finds "@" and the letters typed after it, at the caret', () => {
    expect(at('@a')).toEqual({ start: 0, query: 'a' })
    expect(at('Thanks @Ann')).toEqual({ start: 7, query: 'Ann' })
    expect(at('Thanks @Anna Pe')).toEqual({ start: 7, query: 'Anna Pe' })
    expect(at('Thanks @Anna ')).toEqual({ start: 7, query: 'Anna' })
    expect(at('line one\n@Оль')).toEqual({ start: 9, query: 'Оль' })
    expect(at('(@bo')).toEqual({ start: 1, query: 'bo' })
  })

  it('needs a letter after "@"', () => {
    expect(at('@')).toBeNull()
    expect(at('Hi @ ')).toBeNull()
    expect(at('@-x')).toBeNull()
  })

  it('is no mention inside an address or after a word', () => {
    expect(at('write to anna@exam')).toBeNull()
    expect(at('x@y')).toBeNull()
  })

  it('stops after three words, two spaces, or a new line', () => {
    expect(at('@Anna told me yesterday')).toBeNull()
    expect(at('@Anna  P')).toBeNull()
    expect(at('@Anna\nnext')).toBeNull()
  })

  it('looks only before the caret', () => {
    expect(mentionAt('Hi @Bo and more', 6)).toEqual({ start: 3, query: 'Bo' })
    expect(mentionAt('Hi @Bo and more', 2)).toBeNull()
  })

  it('gives up on text too long to be a name', () => {
    expect(at('@' + 'a'.repeat(60))).toBeNull()
  })
})

describe('insertMention', () => {
  it('puts the name and one space in place of what was typed', () => {
    expect(insertMention('Thanks @Ann', 7, 11, 'Anna Petrova')).toEqual({ text: 'Thanks @Anna Petrova ', caret: 21 })
  })

  it('keeps the text after the caret, without doubling its space', () => {
    expect(insertMention('Ask @bo about it', 4, 7, 'Boris Ivanov')).toEqual({ text: 'Ask @Boris Ivanov about it', caret: 18 })
    expect(insertMention('Ask @bo,', 4, 7, 'Boris Ivanov')).toEqual({ text: 'Ask @Boris Ivanov ,', caret: 18 })
    expect(insertMention('@bo\nnext', 0, 3, 'Boris Ivanov')).toEqual({ text: '@Boris Ivanov\nnext', caret: 13 })
  })
})

describe('mentionIds', () => {
  it('keeps the chosen people whose "@Name" is still in the text, once each', () => {
    const chosen = [anna, boris, olga]
    expect(mentionIds('@Anna Petrova and @Boris Ivanov, and again @Anna Petrova.', chosen)).toEqual(['u1', 'u3'])
    expect(mentionIds('Спасибо, @Ольга Смирнова!', chosen)).toEqual(['u4'])
  })

  it('drops a person whose mention was deleted or changed', () => {
    expect(mentionIds('@Anna Pet and Boris Ivanov', [anna, boris])).toEqual([])
    expect(mentionIds('@Boris Ivanovich', [boris])).toEqual([])
    expect(mentionIds('mail boris@Boris Ivanov', [boris])).toEqual([])
  })

  it('takes the longest name that fits at an "@"', () => {
    expect(mentionIds('@Anna Petrova', [annaK, anna])).toEqual(['u1'])
    expect(mentionIds('@Anna, @Anna Petrova', [annaK, anna])).toEqual(['u2', 'u1'])
  })

  it('is empty without mentions', () => {
    expect(mentionIds('', [anna])).toEqual([])
    expect(mentionIds('@Anna Petrova', [])).toEqual([])
  })
})

describe('mentionedIn', () => {
  it('returns the people themselves, in the order given', () => {
    expect(mentionedIn('@Boris Ivanov, @Anna Petrova', [anna, boris])).toEqual([anna, boris])
  })
})

describe('mentionWords', () => {
  it('lists the first word after each "@", once', () => {
    expect(mentionWords('@Anna Petrova, @Boris Ivanov and @Anna again; anna@example.com')).toEqual(['Anna', 'Boris'])
    expect(mentionWords('no mentions')).toEqual([])
  })
})
