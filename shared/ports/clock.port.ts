/**
 * The clock port: the one way anything outside the pure core learns the time. Hosts give the real clock;
 * tests give a virtual one, so months of durable time pass in seconds.
 */
export interface Clock {
  now(): Date;
}
