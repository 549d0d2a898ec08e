/** The toolbox bundle (toolbox/main.ts for Node), as text: made by vite.config.ts's toolbox plugin. */
declare module 'virtual:unroll-toolbox' {
  const text: string;
  export default text;
}
