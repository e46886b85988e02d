import mqttPacket from 'mqtt-packet';

/**
 * Turns off mqtt-packet's table of two-byte numbers in the broker's isolate, as MQTT.js's
 * `writeCache: false` does for the ingest, the API and the gateways. At the first packet it writes,
 * mqtt-packet otherwise makes a Buffer for each of the 65,536 values a packet id or a length can
 * take: 6.3 MB of heap (a heap snapshot counted the 65,536 Buffers) kept for the isolate's life, and
 * V8 sizes the old generation as a multiple of what is live. Without it a number is written as a
 * two-byte buffer from Node's pool. Aedes has no option for it, hence the module's own switch; it
 * takes effect only before the first packet is written, when the table would be built.
 */
export function skipPacketNumberTable(): void {
  mqttPacket.writeToStream.cacheNumbers = false;
}
