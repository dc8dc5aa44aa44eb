/** The current time, always passed in: the core never reads a clock itself. */
export type Clock = { now(): Date };
