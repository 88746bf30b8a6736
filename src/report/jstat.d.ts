// The part of jstat (no types of its own) that the baseline gate uses.
declare module 'jstat' {
  export const studentt: { inv(p: number, dof: number): number };
}
