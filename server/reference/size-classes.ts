// SCB employee size classes ("Storleksklass anställda", Stkl) as used by the register API:
// code 1 = 0 employees, 4 = 10–19 (matches the SCB test fixture "4" → "10-19 anställda").
// The midpoint is our documented estimate, used only where a sum is needed, and always flagged as estimated.
export interface SizeClass { code: string; label: string; min: number; max: number | null; estimate: number }

export const SIZE_CLASSES: SizeClass[] = [
  { code: '1', label: '0 anställda', min: 0, max: 0, estimate: 0 },
  { code: '2', label: '1-4 anställda', min: 1, max: 4, estimate: 2.5 },
  { code: '3', label: '5-9 anställda', min: 5, max: 9, estimate: 7 },
  { code: '4', label: '10-19 anställda', min: 10, max: 19, estimate: 14.5 },
  { code: '5', label: '20-49 anställda', min: 20, max: 49, estimate: 34.5 },
  { code: '6', label: '50-99 anställda', min: 50, max: 99, estimate: 74.5 },
  { code: '7', label: '100-199 anställda', min: 100, max: 199, estimate: 149.5 },
  { code: '8', label: '200-499 anställda', min: 200, max: 499, estimate: 349.5 },
  { code: '9', label: '500-999 anställda', min: 500, max: 999, estimate: 749.5 },
  { code: '10', label: '1000-1499 anställda', min: 1000, max: 1499, estimate: 1249.5 },
  { code: '11', label: '1500-1999 anställda', min: 1500, max: 1999, estimate: 1749.5 },
  { code: '12', label: '2000-2999 anställda', min: 2000, max: 2999, estimate: 2499.5 },
  { code: '13', label: '3000-3999 anställda', min: 3000, max: 3999, estimate: 3499.5 },
  { code: '14', label: '4000-4999 anställda', min: 4000, max: 4999, estimate: 4499.5 },
  { code: '15', label: '5000-9999 anställda', min: 5000, max: 9999, estimate: 7499.5 },
  { code: '16', label: '10000- anställda', min: 10000, max: null, estimate: 10000 },
]

const byCode = new Map(SIZE_CLASSES.map((c) => [c.code, c]))

export function sizeClassFor (employees: number): string {
  const c = SIZE_CLASSES.find((s) => employees >= s.min && (s.max === null || employees <= s.max))
  return c ? c.code : '16'
}

export function isSizeClass (code: string): boolean { return byCode.has(code) }
