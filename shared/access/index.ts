export * from './builtin-roles';
export * from './catalog';
export * from './decide';
export * from './effective';
export * from './escalation';
export * from './explain';
export * from './groups';
export * from './modules';
