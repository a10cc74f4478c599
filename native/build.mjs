// Builds the native addon (native/build/Release/ptp_native.node) with node-gyp.
// Run by `npm ci` (package.json "install") and by `npm run build:native`.
//
// Nothing is downloaded: node-gyp gets --nodedir pointing at the Node headers
// installed with this Node (e.g. /usr/include/node), and node-gyp itself is the
// copy bundled with npm. When something is missing we say what and exit non-zero.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const tag = '[ptp-conform] native addon:'

function fail(message) {
  console.error(`${tag} cannot build: ${message}`)
  console.error(`${tag} the harness's ports (timestamped raw Ethernet / UDP, scheduled sends) need it; fix the above and run \`node native/build.mjs\`.`)
  process.exit(1)
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd)
  }
  return null
}

if (process.platform !== 'linux') fail(`Linux only (SO_TIMESTAMPING, AF_PACKET, network namespaces); this is ${process.platform}`)

// A C++17 compiler and make (node-gyp's Makefile generator).
const cxx = process.env.CXX || which('g++') || which('c++') || which('clang++')
if (!cxx) fail('no C++ compiler found (install g++: `apt-get install g++ make`)')
if (!which('make')) fail('`make` not found (install it: `apt-get install make`)')
const python = process.env.PYTHON || which('python3')
if (!python) fail('python3 not found; node-gyp needs it (`apt-get install python3`)')

// Local Node headers: the directory that holds include/node/node_api.h and common.gypi.
function hasHeaders(dir) {
  return dir && existsSync(join(dir, 'include', 'node', 'node_api.h')) && existsSync(join(dir, 'include', 'node', 'common.gypi'))
}
const nodedirCandidates = [
  process.env.npm_config_nodedir,
  resolve(dirname(process.execPath), '..'),
  process.config?.variables?.node_prefix,
  '/usr',
  '/usr/local',
]
const nodedir = nodedirCandidates.find(hasHeaders)
if (!nodedir) {
  fail(
    `no Node headers found (looked for include/node/node_api.h and common.gypi under ${nodedirCandidates.filter(Boolean).join(', ')}); ` +
      'install the headers of this Node version (Debian: `apt-get install libnode-dev`, or a Node tarball with include/) ' +
      'or set npm_config_nodedir. Headers are never downloaded.',
  )
}

// node-gyp bundled with npm.
const npmDirs = []
if (process.env.npm_execpath) npmDirs.push(resolve(dirname(process.env.npm_execpath), '..'))
npmDirs.push(resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'))
npmDirs.push('/usr/lib/node_modules/npm', '/usr/local/lib/node_modules/npm', '/usr/share/nodejs/npm')
const gypCandidates = [
  process.env.npm_config_node_gyp,
  ...npmDirs.map((d) => join(d, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')),
  '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
]
const nodeGyp = gypCandidates.find((p) => p && existsSync(p))
if (!nodeGyp) fail(`node-gyp not found (looked in ${gypCandidates.filter(Boolean).join(', ')}); it ships with npm`)

if (!existsSync(join(here, '..', 'node_modules', 'node-addon-api', 'napi.h'))) {
  fail('node_modules/node-addon-api is missing; run `npm ci` first')
}

console.log(`${tag} building with ${cxx}, Node headers from ${nodedir}/include/node`)
const env = { ...process.env, npm_config_nodedir: nodedir, PYTHON: python, CXX: cxx }
const args = [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, `--python=${python}`, '--release', '--jobs=2']
const r = spawnSync(process.execPath, args, { cwd: here, env, stdio: 'inherit' })
if (r.error) fail(`could not run node-gyp: ${r.error.message}`)
if (r.status !== 0) fail(`node-gyp exited with status ${r.status} (compiler output above)`)

const out = join(here, 'build', 'Release', 'ptp_native.node')
if (!existsSync(out)) fail(`node-gyp succeeded but ${out} is missing`)
console.log(`${tag} built ${out}`)
