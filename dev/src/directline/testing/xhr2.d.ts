// xhr2 ships no types; it exports one class, the XMLHttpRequest it emulates over node:http.
declare module 'xhr2' {
  const XMLHttpRequest: { new (): XMLHttpRequest };
  export default XMLHttpRequest;
}
