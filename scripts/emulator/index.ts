export { startEmulator, PortInUseError } from './server';
export type { Emulator, EmulatorOptions } from './server';
export type { LogEntry } from './request-log';
export type { FaultSpec, ActiveFault, FaultType, FaultScope } from './faults';
export type { HmacKey } from './keys';
export { loadManifestDefaults } from './manifest';
export type { ManifestDefaults } from './manifest';
export type { ObjectMetadataInput } from './store';
