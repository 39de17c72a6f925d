//===- SummaryEmbed.h - the summary carried inside the object file -*- C++ -*-===//
//
// A build writes each translation unit's summary into the object file it
// compiles, in the section LO_SUMMARY_SECTION (lockorder.h), so the
// summary travels wherever the object goes: through ccache (a hit restores
// the object, section and all, without running the compiler) and distcc
// or icecream (the object comes back from another machine).  `lockorder
// merge` reads it from objects, archives and `ld -r` links.
//
// How: a module pass, added to the code generator's pipeline through
// CodeGenOptions::PassBuilderCallbacks, appends one private constant in
// that section, marked !exclude (SHF_EXCLUDE: final links drop it, `ld -r`
// keeps it).  The analysis runs before the main action, so the text is
// complete when the backend runs.
//
// What it does not do: anything when the compile emits no code
// (-fsyntax-only, -E): there is no object to carry it; `lockorder check`
// writes summary files instead.
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_SUMMARYEMBED_H
#define LOCKORDER_PLUGIN_SUMMARYEMBED_H

#include "clang/Frontend/CompilerInstance.h"

#include <memory>
#include <string>

namespace lockorder {

/// Whether the compile CI runs the code generator (an object, assembly or
/// IR comes out).
bool emitsCode(const clang::CompilerInstance &CI);

/// Arranges for TEXT, filled in before the backend runs, to be embedded in
/// the compile's output.  An empty TEXT (the analysis did not run: errors)
/// embeds nothing.
void embedSummary(clang::CompilerInstance &CI,
                  std::shared_ptr<const std::string> Text);

} // namespace lockorder

#endif
