/**
 * Study text made safe to print on a terminal. A transcript, a codebook or a REFI-QDA file can hold
 * control characters; printed raw, an escape sequence recolours the terminal, clears it, moves the cursor
 * over what was printed before, or sets the window title. Output that shows study text (diagnostic messages,
 * reports, CSV, import notes) goes through `printable` once, where it is made.
 *
 * Each control character is shown as its visible symbol (ESC as ␛, BEL as ␇; the C1 controls, which some
 * terminals also obey, as �) rather than removed: removed, `guide: "\e[2Jg"` would be reported as "There is
 * no guide 'g'" in a study that has one, where `␛[2Jg` shows the researcher what the file really holds.
 */

/** C0 controls but tab and line feed, DEL, and the C1 controls (once, then all); and all but carriage return. */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const CONTROLS_BUT_CR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

function symbol(c: string): string {
  const code = c.charCodeAt(0);
  // Unicode's Control Pictures block has a symbol for each C0 control (U+2400 + code) and for DEL (U+2421).
  return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
}

/**
 * `s` with every terminal control character shown as a visible symbol; tabs and line feeds are kept as they
 * are, and carriage returns too with `keepCarriageReturns` (a CSV cell may hold a line break written `\r\n`).
 */
export function printable(s: string, keepCarriageReturns = false): string {
  // Nearly every string has none: a test costs less than a replacement that replaces nothing.
  if (!CONTROL.test(s)) return s;
  return s.replace(keepCarriageReturns ? CONTROLS_BUT_CR : CONTROLS, symbol);
}
