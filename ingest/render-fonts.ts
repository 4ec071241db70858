import path from 'node:path';
import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * The only user of @napi-rs/canvas (the canvas pdf.js draws on when rendering PDF pages): fonts for text whose
 * font the PDF does not embed.
 *
 * Chinese office PDFs often name SimSun or STSong without embedding it. pdf.js then draws that text with the
 * canvas font `"<its own name>", serif` (or sans-serif), and the canvas resolves the generic family to a Latin
 * font even when a CJK font is installed: every Han character came out as an empty box. Registering a
 * complete Chinese font under the generic names makes those pages render with real glyphs, on any machine,
 * since the font comes from the npm package rather than from the system.
 */

const FONT_PACKAGE = '@expo-google-fonts/noto-serif-sc';
const FACES = ['400Regular/NotoSerifSC_400Regular.ttf', '700Bold/NotoSerifSC_700Bold.ttf'];
/** Serif Chinese type (宋体) is what these documents are set in; a sans PDF font renders in it too, rather than as boxes. */
const GENERIC_FAMILIES = ['serif', 'sans-serif'];

let registered = false;

/** The font files registered, absolute paths (for diagnostics and tests). */
export function renderFontFiles(): string[] {
  const root = path.dirname(createRequire(import.meta.url).resolve(`${FONT_PACKAGE}/package.json`));
  return FACES.map((face) => path.join(root, face));
}

/**
 * Registers the Chinese fallback font once per process; later calls do nothing. Throws when the font
 * package is missing or unreadable, rather than rendering pages of empty boxes.
 */
export function ensureRenderFonts(): void {
  if (registered) return;
  for (const file of renderFontFiles()) {
    for (const family of GENERIC_FAMILIES) {
      if (!GlobalFonts.registerFromPath(file, family)) throw new Error(`the font ${path.basename(file)} could not be registered`);
    }
  }
  registered = true;
}
