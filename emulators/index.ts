// The device emulators' public surface: `fieldstation simulate --serial` and the tests run the
// instruments of a gateway's config on the far end of virtual cables with it.
export { EmulatedGateway, type EmulatedGatewayOptions } from './station/emulated-gateway.js';
export {
  type EmulatedGatewaySpec,
  type EmulatedStations,
  emulatedGatewayId,
  startEmulatedStations,
} from './station/emulated-stations.js';
