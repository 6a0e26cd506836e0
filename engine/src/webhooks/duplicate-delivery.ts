/** A webhook delivery whose key was already recorded with a run: the caller answers "duplicate". */
export class DuplicateDelivery extends Error {
  readonly deliveryId: string;
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} was already received`);
    this.name = 'DuplicateDelivery';
    this.deliveryId = deliveryId;
  }
}
