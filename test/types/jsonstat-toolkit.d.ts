declare module 'jsonstat-toolkit'
