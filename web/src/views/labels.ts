// Names shared by several views: a branch selection and an area level in the UI's language.
import type { Definition } from '../api/types'
import { t } from '../ui/i18n'

/** 'total', 'all', a group or a category code → its name; plural: "KKB companies" / "companies in Film & tv" */
export function branchLabel (definition: Definition, branch: string, plural = true): string {
  if (branch === 'total') return plural ? t('kkbCompanies') : t('branchTotal')
  if (branch === 'all') return plural ? t('companiesAllWord') : t('branchAll')
  const name = definition.groups.flatMap((g) => [g, ...g.categories]).find((x) => x.code === branch)?.name ?? branch
  return plural ? t('companiesIn', { branch: name }) : name
}

/** "kommuner" / "län" */
export const levelPlural = (level: 'kommun' | 'lan') => (level === 'kommun' ? t('kommuner') : t('lans'))
