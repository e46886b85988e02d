/** A serial port as a technician needs to see it to write the `path` of a config. */
export interface PortInfo {
  path: string;
  /** The stable /dev/serial/by-id/... name, if udev made one: prefer it in configs. */
  byId?: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}
