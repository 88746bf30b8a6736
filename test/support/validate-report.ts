// Tests validate every report they produce against the published schema, with the code stress-run itself uses.
export { validateReport } from '../../src/report/validate-report';
