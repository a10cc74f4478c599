/**
 * A small XML well-formedness checker for unit tests (no external tool): one root
 * element, balanced and properly nested tags, quoted attributes without
 * duplicates, no raw `<` or stray `&` in text or attribute values, only the
 * predefined and numeric character references. It also returns every element
 * with its attributes and text so tests can look inside. The oracle tests run
 * the same files through xmllint, which checks the whole of XML 1.0.
 */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/
const REF = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y

function decode(s: string, where: string): string {
  let out = ''
  for (let i = 0; i < s.length; ) {
    const c = s[i]!
    if (c === '<') throw new Error(`raw "<" in ${where}`)
    if (c === '&') {
      REF.lastIndex = i
      const m = REF.exec(s)
      if (!m) throw new Error(`bad character reference in ${where} at "${s.slice(i, i + 12)}"`)
      const ref = m[0]
      out +=
        ref === '&amp;' ? '&' : ref === '&lt;' ? '<' : ref === '&gt;' ? '>' : ref === '&quot;' ? '"' : ref === '&apos;' ? "'" :
        String.fromCodePoint(ref[2] === 'x' ? parseInt(ref.slice(3, -1), 16) : parseInt(ref.slice(2, -1), 10))
      i += ref.length
    } else {
      out += c
      i++
    }
  }
  return out
}

export function parseXml(xml: string): XmlElement {
  let i = 0
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>')
    if (end < 0) throw new Error('unterminated XML declaration')
    i = end + 2
  }
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const text = xml.slice(i, lt < 0 ? xml.length : lt)
    if (stack.length) stack[stack.length - 1]!.text += decode(text, 'text')
    else if (text.trim()) throw new Error(`text outside the root element: "${text.trim().slice(0, 20)}"`)
    if (lt < 0) break
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt)
      if (end < 0) throw new Error('unterminated comment')
      i = end + 3
      continue
    }
    const gt = findTagEnd(xml, lt)
    const tag = xml.slice(lt + 1, gt)
    i = gt + 1
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim()
      const open = stack.pop()
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`)
      continue
    }
    const selfClosing = tag.endsWith('/')
    const body = selfClosing ? tag.slice(0, -1) : tag
    const m = /^([^\s/>]+)/.exec(body)
    if (!m || !NAME.test(m[1]!)) throw new Error(`bad element name in <${tag.slice(0, 20)}>`)
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' }
    const attrRe = /\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/y
    let p = m[1]!.length
    while (p < body.length) {
      if (/^\s*$/.test(body.slice(p))) break
      attrRe.lastIndex = p
      const a = attrRe.exec(body)
      if (!a) throw new Error(`bad attribute syntax in <${el.name}> at "${body.slice(p, p + 20)}"`)
      if (!NAME.test(a[1]!)) throw new Error(`bad attribute name ${a[1]}`)
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]} in <${el.name}>`)
      el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', `attribute ${a[1]}`)
      p = attrRe.lastIndex
    }
    if (stack.length) stack[stack.length - 1]!.children.push(el)
    else if (root) throw new Error('more than one root element')
    else root = el
    if (!selfClosing) stack.push(el)
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`)
  if (!root) throw new Error('no root element')
  return root
}

function findTagEnd(xml: string, lt: number): number {
  let quote: string | undefined
  for (let j = lt + 1; j < xml.length; j++) {
    const c = xml[j]!
    if (quote) {
      if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '>') return j
    else if (c === '<') throw new Error('"<" inside a tag')
  }
  throw new Error('unterminated tag')
}

/** Every element in document order. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = []
  const walk = (e: XmlElement) => {
    out.push(e)
    e.children.forEach(walk)
  }
  walk(root)
  return out
}

/** All text inside an element and its descendants. */
export function textOf(e: XmlElement): string {
  return e.text + e.children.map(textOf).join('')
}
