// The size-class and legal-form choices of the filter panel (web/src/data/reference.ts) come from the API's
// reference lists; checked here against the server's own lists (the size classes it serves, the SCB legal forms it seeds).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { SIZE_CLASSES } from '../../server/reference/size-classes.js'
import { legalChoices, legalFormName, sizeChoices } from '../../web/src/data/reference'

const csv = readFileSync(path.resolve(import.meta.dirname, '../../data/juridisk_form_2020.csv'))
const legalForms = (parse(csv, { columns: true }) as { code: string; title_sv: string }[])
  .map((r) => ({ code: r.code, title: r.title_sv, naturalPerson: r.code === '10' }))

describe('size-class choices', () => {
  it('one choice per class under 100 employees, one for all classes from 100 up', () => {
    const choices = sizeChoices(SIZE_CLASSES)
    expect(choices.map((c) => c.label.sv)).toEqual(['0 anställda', '1–4 anställda', '5–9 anställda', '10–19 anställda', '20–49 anställda',
      '50–99 anställda', '100 anställda eller fler'])
    expect(choices.map((c) => c.label.en)).toEqual(['0 employees', '1–4 employees', '5–9 employees', '10–19 employees', '20–49 employees',
      '50–99 employees', '100 employees or more'])
    expect(choices.map((c) => c.codes)).toEqual([['1'], ['2'], ['3'], ['4'], ['5'], ['6'],
      ['7', '8', '9', '10', '11', '12', '13', '14', '15', '16']])
  })

  it('follows the list it is given: order by size, a class the server adds is offered', () => {
    const choices = sizeChoices([
      { code: 'b', label: '', min: 5, max: null },
      { code: 'a', label: '', min: 0, max: 4 },
      { code: 'big', label: '', min: 500, max: null },
    ])
    expect(choices.map((c) => [c.codes, c.label.en]))
      .toEqual([[['a'], '0–4 employees'], [['b'], '5+ employees'], [['big'], '100 employees or more']])
    expect(sizeChoices([])).toEqual([])
  })
})

describe('legal-form choices', () => {
  it('every code the filter offers is an SCB legal form the server knows', () => {
    const choices = legalChoices(legalForms)
    expect(choices.map((c) => c.label.sv)).toEqual(['Enskild näringsidkare', 'Handelsbolag, kommanditbolag', 'Aktiebolag',
      'Ekonomisk förening', 'Ideell förening', 'Stiftelse', 'Offentlig sektor'])
    expect(choices.flatMap((c) => c.codes)).toEqual(['10', '31', '49', '51', '61', '71', '72', '81', '82', '83', '84', '87', '89'])
  })

  it('leaves out codes the server does not list, and a choice with none left', () => {
    const choices = legalChoices(legalForms.filter((f) => !['71', '72', '81'].includes(f.code)))
    expect(choices.map((c) => c.label.en)).not.toContain('Foundation')
    expect(choices.find((c) => c.label.en === 'Public sector')?.codes).toEqual(['82', '83', '84', '87', '89'])
  })

  it('names a legal form in the table: the everyday name, else the official title, else the code', () => {
    const choices = legalChoices(legalForms)
    expect(legalFormName('72', choices, legalForms, 'en')).toBe('Foundation')
    expect(legalFormName('49', choices, legalForms, 'sv')).toBe('Aktiebolag')
    expect(legalFormName('21', choices, legalForms, 'sv')).toBe('Enkla bolag')
    expect(legalFormName('00', choices, legalForms, 'sv')).toBe('00')
  })
})
