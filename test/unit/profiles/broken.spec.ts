/**
 * Broken profiles and the exact diagnostics they must produce, as
 * `file:line:col path message` (files relative to test/unit/profiles/ for the
 * fixtures, to the repository for shipped parents).
 *
 * transport-mapping.yaml keeps two diagnostics that point into profiles/default-e2e.yaml:
 * an inherited value is reported where it was written. They move if that file's
 * transport block moves.
 */
import { test } from '@japa/runner'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { formatDiagnostic, validateProfileFile } from '../../../harness/profiles/index.ts'
import { BROKEN_DIR, REPO_ROOT } from '../../support/profiles/paths.ts'

const EXPECTED: Record<string, string[]> = {
  'accuracy-key.yaml': [
    "broken/accuracy-key.yaml:5:3 accuracy.Max-TE key 'Max-TE' must be a camelCase name, e.g. 'maxAbsTimeError'",
  ],
  'bad-enum.yaml': [
    "broken/bad-enum.yaml:6:12 delayMechanism.default must be one of: E2E, P2P (got \"PTP\")",
  ],
  'bad-ipv4.yaml': [
    "broken/bad-ipv4.yaml:6:23 transport.udp4.primary.value must be an IPv4 address (got \"224.0.1.300\")",
  ],
  'bad-mac.yaml': [
    "broken/bad-mac.yaml:6:26 transport.l2.primaryMac.value must be six upper-case hex octets joined by dashes, e.g. 01-1B-19-00-00-00 (got \"01:1B:19:00:00:00\")",
  ],
  'clockclass-default.yaml': [
    "broken/clockclass-default.yaml:5:21 clockClass.default.value default clockClass 250 is not among the allowed values",
  ],
  'cycle-a.yaml': [
    "broken/cycle-b.yaml:3:10 extends inheritance cycle: cycle-a -> cycle-b -> cycle-a",
  ],
  'cycle-b.yaml': [
    "broken/cycle-a.yaml:3:10 extends inheritance cycle: cycle-b -> cycle-a -> cycle-b",
  ],
  'default-outside-range.yaml': [
    "broken/default-outside-range.yaml:6:23 intervals.sync.default.value default 3 is outside its allowed range [-1, 1]",
  ],
  'delete-required.yaml': [
    "broken/delete-required.yaml:4:1 intervals.sync missing required key 'sync'",
  ],
  'duplicate-key.yaml': [
    "broken/duplicate-key.yaml:5:1 (document) YAML: Map keys must be unique",
  ],
  'edition-path.yaml': [
    "broken/edition-path.yaml:6:11 editionDifferences[0].path 'intervals.synk' does not name a field of this profile",
  ],
  'empty-range.yaml': [
    "broken/empty-range.yaml:6:23 intervals.announce.default.value default 2 is outside its allowed range [4, 0]",
    "broken/empty-range.yaml:7:21 intervals.announce.range.value range [4, 0] is empty: min > max",
  ],
  'empty.yaml': [
    "broken/empty.yaml:1:1 (document) must be object (got null)",
  ],
  'extends-missing.yaml': [
    "broken/extends-missing.yaml:3:10 extends no profile 'no-such-profile' to inherit from in test/unit/profiles/broken, profiles",
  ],
  'extends-self.yaml': [
    "broken/extends-self.yaml:3:10 extends a profile cannot be its own parent ('extends-self')",
  ],
  'extends-without-id.yaml': [
    "broken/extends-without-id.yaml:2:1 (document) a profile that extends another must set its own 'id'",
  ],
  'fixed-range.yaml': [
    "broken/fixed-range.yaml:6:12 intervals.sync.fixed is true, so intervals.sync.range must be [0, 0] (got [-1, 1])",
  ],
  'g8275-priority1.yaml': [
    "broken/g8275-priority1.yaml:5:22 bmca.priority1Compared the G.8275.x BMCA does not compare priority1",
  ],
  'negotiation-without-grant-duration.yaml': [
    'broken/negotiation-without-grant-duration.yaml:4:1 transport unicastNegotiation is required: give transport.grantDuration (default and range, cited)',
  ],
  'identifier-null.yaml': [
    "broken/identifier-null.yaml:4:29 profileIdentifier.value is null (unknown) but not marked unconfirmed: true",
  ],
  'int8-out-of-range.yaml': [
    "broken/int8-out-of-range.yaml:6:23 intervals.sync.default.value must be <= 127 (got 200)",
  ],
  'lab-judge.yaml': [
    "broken/lab-judge.yaml:8:14 lab.outsideProfile[0].key lists the interval key 'logSyncInterval', so lab.judgeIntervalsAgainst must be 'advertised' (got 'profile')",
  ],
  'lab-out-of-range.yaml': [
    "broken/lab-out-of-range.yaml:6:26 lab.ptp4l.logAnnounceInterval -2 is outside intervals.announce.range [0, 4]; use a value inside the profile or list 'logAnnounceInterval' in lab.outsideProfile with a reason",
  ],
  'lab-owned-key.yaml': [
    "broken/lab-owned-key.yaml:6:5 lab.ptp4l.free_running 'free_running' is set by the lab itself for every DUT; remove it from the profile",
  ],
  'lab-unknown-option.yaml': [
    "broken/lab-unknown-option.yaml:6:5 lab.ptp4l.logSyncIntervl 'logSyncIntervl' is not a ptp4l 3.1.1 configuration option (did you mean 'logSyncInterval'?)",
  ],
  'missing-source.yaml': [
    "broken/missing-source.yaml:5:3 domain.default.source missing required key 'source'",
  ],
  'not-cited.yaml': [
    "broken/not-cited.yaml:5:12 domain.default must be a cited value { value: ..., source: '... [KEY]' } (got 0)",
  ],
  'override-not-applied.yaml': [
    "broken/override-not-applied.yaml:6:5 suites.overrides.TLV-PWR-01 overrides test TLV-PWR-01, which suites.apply does not select",
  ],
  'p2p-without-pdelay-interval.yaml': [
    "broken/p2p-without-pdelay-interval.yaml:4:1 intervals P2P is an allowed delay mechanism but intervals.pdelayReq is missing",
  ],
  'pdelay-ttl.yaml': [
    "broken/pdelay-ttl.yaml:6:25 transport.udp4.pdelayTtl.value must be 1: 224.0.0.107 is link-local (got 2)",
  ],
  'range-arity.yaml': [
    "broken/range-arity.yaml:6:21 intervals.announce.range.value must have at most 2 items (got a list of 3)",
  ],
  'restate-source.yaml': [
    "broken/restate-source.yaml:4:1 steps changes fields of an inherited block without restating its source (add source: to this block)",
  ],
  'source-without-key.yaml': [
    "broken/source-without-key.yaml:5:32 domain.default.source must be a citation naming its source key in brackets, e.g. 'IEEE 1588-2019 I.3 [I19]' (got \"IEEE 1588-2019 I.3\")",
  ],
  'tlv-length-send.yaml': [
    "broken/tlv-length-send.yaml:11:26 tlvs.Announce.required[0].lengthField.send.value sends lengthField 18, which its own accept list does not include",
  ],
  'tlv-transport.yaml': [
    "broken/tlv-transport.yaml:11:16 tlvs.Follow_Up.required[0].tlv IEEE_802_1AS_FOLLOW_UP_INFO is required but defined only for l2, which transport.allowed (udp4, udp6) does not include",
  ],
  'tlv-twice.yaml': [
    "broken/tlv-twice.yaml:10:16 tlvs.Announce.forbidden[0].tlv PATH_TRACE is listed twice for Announce (also in required[0])",
  ],
  'tlv-unicast.yaml': [
    "broken/tlv-unicast.yaml:7:16 tlvs.Signaling.required[0].tlv REQUEST_UNICAST_TRANSMISSION is required but is sent only in unicast operation, which transport.unicast forbids",
  ],
  'tlv-unused-message.yaml': [
    "broken/tlv-unused-message.yaml:9:16 tlvs.Management.required[0].tlv MANAGEMENT is required in Management, but Management is listed in unusedMessages",
  ],
  'tlv-wrong-carrier.yaml': [
    "broken/tlv-wrong-carrier.yaml:7:16 tlvs.Sync.required[0].tlv PATH_TRACE cannot be carried in Sync (it belongs in Announce)",
  ],
  'transport-default.yaml': [
    "broken/transport-default.yaml:6:12 transport.default default transport 'l2' is not in transport.allowed (udp4)",
  ],
  'transport-mapping.yaml': [
    "profiles/default-e2e.yaml:29:3 transport.l2 is given but l2 is not in transport.allowed (delete it with null when inheriting)",
    "profiles/default-e2e.yaml:40:3 transport.udp6 is given but udp6 is not in transport.allowed (delete it with null when inheriting)",
  ],
  'unknown-key.yaml': [
    "broken/unknown-key.yaml:5:3 transport.unicst unknown key 'unicst' (did you mean 'unicast'?)",
  ],
  'unknown-top-key.yaml': [
    "broken/unknown-top-key.yaml:4:1 intervalls unknown key 'intervalls' (did you mean 'intervals'?)",
  ],
  'unused-delay-req.yaml': [
    "broken/unused-delay-req.yaml:5:16 unusedMessages[0].message Delay_Req cannot be unused: E2E is an allowed delay mechanism",
  ],
  'version-editions.yaml': [
    "broken/version-editions.yaml:5:21 version.editionsAccepted accepts minorVersionPTP 0 but not edition 2008",
  ],
  'vlan-forbidden.yaml': [
    "broken/vlan-forbidden.yaml:6:5 transport.vlan.priority is given but VLAN tagging is forbidden",
  ],
  'wrong-type.yaml': [
    "broken/wrong-type.yaml:6:12 intervals.sync.fixed must be boolean (got \"no\")",
  ],
  'yaml-syntax.yaml': [
    "broken/yaml-syntax.yaml:6:3 (document) YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
}

function shown(line: string): string {
  // formatDiagnostic relative to the repository, then fixtures shortened to broken/...
  return line.replace(relative(REPO_ROOT, BROKEN_DIR) + '/', 'broken/')
}

test.group('profiles / broken profiles', () => {
  test('there are at least 25 broken profiles and each has its expected diagnostics', ({ assert }) => {
    const files = readdirSync(BROKEN_DIR).filter((f) => f.endsWith('.yaml')).sort()
    assert.isAtLeast(files.length, 25)
    assert.deepEqual(files, Object.keys(EXPECTED).sort())
  })

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file}`, ({ assert }) => {
      const r = validateProfileFile(join(BROKEN_DIR, file))
      assert.isUndefined(r.profile)
      assert.deepEqual(
        r.diagnostics.map((d) => shown(formatDiagnostic(d, REPO_ROOT))),
        expected,
      )
    })
  }
})
