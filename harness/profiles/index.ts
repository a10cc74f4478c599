/**
 * Public face of the profiles area: load a profile by id, short name or path,
 * list and validate profiles, and the resolved Profile type (./types.ts).
 */
export type * from './types.ts'
export { PROFILE_ALIASES, aliasesOf, resolveAlias } from './aliases.ts'
export { ProfileError, formatDiagnostic } from './errors.ts'
export {
  SHIPPED_PROFILE_DIR,
  findProfileFile,
  listProfiles,
  loadProfile,
  searchDirs,
  unusedMessageNames,
  validateProfileFile,
  type LoadOptions,
  type ProfileListing,
  type ValidationResult,
} from './loader.ts'
export { testIdMatches } from './rules.ts'
export { TLV_CATALOGUE, type TlvFacts } from './tlv_catalogue.ts'
export { profileToJson, profileToYaml } from './serialize.ts'
export { schemaText } from './schema_source.ts'
