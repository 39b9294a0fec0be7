export * from './reference.js'
export * from './definitions.js'
export * from './register.js'
export * from './statistics.js'
