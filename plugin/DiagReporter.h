//===- DiagReporter.h - the core's findings as Clang diagnostics -*- C++ -*-===//
//
// The handler that shows the C core's findings (struct lo_finding: a place,
// a message, notes in order) as Clang diagnostics: a warning and its notes,
// at the places the core names, the rules file's lines included.  It also
// shows what the analysis skipped, as remarks in verbose mode.
//
// Findings are warnings made with getCustomDiagID: unlike a -W group they
// are not turned into errors by a kernel build's -Werror, so adding the
// plugin to a build never breaks it by surprise.  A CI that wants findings
// to fail the compile passes -fplugin-arg-lockorder-werror.
//
// What it does not do: word, place, order or group a finding.  The core did
// all of that, once for every mode (plugin, merge, SARIF, HTML, editor).
//
//===----------------------------------------------------------------------===//

#ifndef LOCKORDER_PLUGIN_DIAGREPORTER_H
#define LOCKORDER_PLUGIN_DIAGREPORTER_H

#include "FindingHandler.h"
#include "lockorder.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"

namespace lockorder {

/// Source locations for file:line:col places: the translation unit's own
/// files, and the rules file and those it includes, so that notes and
/// errors point at them like at any other source.
class SourceFiles {
public:
  SourceFiles(clang::SourceManager &SM, clang::FileManager &FM)
      : SM(SM), FM(FM) {}
  /// The location of FILE:LINE:COL, or an invalid one when FILE cannot be
  /// read.  COL 0 stands for the first column.
  clang::SourceLocation get(const char *File, int Line, int Col);

private:
  clang::SourceManager &SM;
  clang::FileManager &FM;
  llvm::StringMap<clang::FileID> IDs;
};

class DiagReporter : public FindingHandler {
public:
  DiagReporter(clang::DiagnosticsEngine &D, SourceFiles &Files, bool Werror,
               bool Verbose);
  /// Emits F: its warning, then its notes in order.
  void handleFinding(const lo_finding &F) override;
  /// A remark, in verbose mode only.
  void handleSkipped(clang::SourceLocation Loc, llvm::StringRef What);

private:
  clang::DiagnosticsEngine &D;
  SourceFiles &Files;
  bool Verbose;
  unsigned WarnID, NoteID, RemarkID;
};

} // namespace lockorder

#endif
