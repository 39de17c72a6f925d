//===- DiagReporter.cpp - the core's findings as Clang diagnostics --------===//
//
// See DiagReporter.h.  A place the core names by file, line and column is
// found again in the SourceManager: the file as the compiler opened it
// (its presumed name), or the rules file, loaded once.
//
//===----------------------------------------------------------------------===//

#include "DiagReporter.h"

using namespace clang;

namespace lockorder {

SourceLocation SourceFiles::get(const char *File, int Line, int Col) {
  if (!File || Line <= 0)
    return SourceLocation();
  auto It = IDs.find(File);
  FileID FID;
  if (It != IDs.end()) {
    FID = It->second;
  } else {
    auto FE = FM.getOptionalFileRef(File);
    if (FE) {
      // A file of the translation unit keeps its FileID (and so its
      // include stack); another file, the rules, is loaded now.
      FID = SM.translateFile(*FE);
      if (FID.isInvalid())
        FID = SM.createFileID(*FE, SourceLocation(), SrcMgr::C_User);
    }
    IDs[File] = FID;
  }
  if (FID.isInvalid())
    return SourceLocation();
  return SM.translateLineCol(FID, Line, Col > 0 ? Col : 1);
}

DiagReporter::DiagReporter(DiagnosticsEngine &D, SourceFiles &Files,
                           bool Werror, bool Verbose)
    : D(D), Files(Files), Verbose(Verbose) {
  WarnID = D.getCustomDiagID(
      Werror ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning, "%0");
  NoteID = D.getCustomDiagID(DiagnosticsEngine::Note, "%0");
  RemarkID = D.getCustomDiagID(DiagnosticsEngine::Remark, "%0");
}

void DiagReporter::handleFinding(const lo_finding &F) {
  SourceLocation Loc = Files.get(F.at.file, F.at.line, F.at.col);
  if (Loc.isValid())
    D.Report(Loc, WarnID) << F.message;
  else
    D.Report(WarnID) << F.message;
  for (size_t I = 0; I < F.nnotes; ++I) {
    const lo_note &N = F.notes[I];
    SourceLocation NL = Files.get(N.at.file, N.at.line, N.at.col);
    if (NL.isValid())
      D.Report(NL, NoteID) << N.text;
  }
}

void DiagReporter::handleSkipped(SourceLocation Loc, llvm::StringRef What) {
  if (Verbose)
    D.Report(Loc, RemarkID) << What;
}

} // namespace lockorder
