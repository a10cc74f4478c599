/**
 * A resolved profile written back as YAML (`profiles show`). The output is itself
 * a complete profile: it validates against profiles/schema.json as it stands.
 */
import { Document, isMap, isScalar, isSeq, visit } from 'yaml'
import type { Profile } from './types.ts'

const HEX_FIELDS = new Set(['etherType', 'clockAccuracy', 'offsetScaledLogVariance'])

export function profileToYaml(p: Profile): string {
  const { origin, ...body } = p
  const header = [
    '# yaml-language-server: $schema=./schema.json',
    `# Resolved profile ${p.id}${origin && origin.chain.length > 1 ? ` (${origin.chain.join(' <- ')})` : ''}: inheritance applied, every value with its source.`,
  ]
  if (origin) for (const f of origin.files) header.push(`#   from ${f}`)
  const doc = new Document(body)
  // One fact per line: cited values, TLV references and short lists in flow style.
  visit(doc, {
    Pair(_, pair) {
      // Octet-valued fields read best in hex, as the standards write them.
      if (isScalar(pair.key) && HEX_FIELDS.has(String(pair.key.value)) && isMap(pair.value)) {
        const inner: unknown = pair.value.get('default', true)
        const holder = isMap(inner) ? inner : pair.value
        const v = holder.get('value', true)
        if (isScalar(v) && typeof v.value === 'number') v.format = 'HEX'
      }
    },
    Map(_, node) {
      if (node.has('value') && node.has('source')) node.flow = true
      if (node.has('tlv') && node.has('source')) node.flow = true
    },
    Seq(_, node) {
      if (node.items.every((i) => !isMap(i) && !isSeq(i))) node.flow = true
    },
  })
  return header.join('\n') + '\n' + doc.toString({ lineWidth: 0, flowCollectionPadding: true })
}

export function profileToJson(p: Profile): string {
  return JSON.stringify(p, null, 2) + '\n'
}
