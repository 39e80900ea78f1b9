import ansiEscapes from "ansi-escapes";
console.log(JSON.stringify([ansiEscapes.enterAlternativeScreen, ansiEscapes.cursorHide, ansiEscapes.cursorTo(0,0)]));
