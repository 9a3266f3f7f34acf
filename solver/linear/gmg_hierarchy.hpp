#pragma once
/// \file
/// Building GmgCgSolver's hierarchy: the finest level extracted from the CSR matrix, then the
/// coarse levels by lateral aggregation, then the column factorisations. Internal to
/// solver/linear; gmg_cg.cpp describes the algorithm.

#include <vector>

#include "solver/linear/gmg_level.hpp"
#include "solver/linear/sparse_matrix.hpp"

namespace cposim::solver::gmg {

/// Fills the stencil of F (already sized for the grid) from A in natural order, checking the
/// pattern, the diagonal and symmetry. Throws std::invalid_argument naming what is wrong.
void extract_finest_level(const SparseMatrix& A, Level& F);

/// Builds the coarse levels after `levels[0]` (the finest) down to a single column, reusing
/// the storage of any coarse levels already in `levels` and dropping the surplus, then factors
/// the columns of every level. Throws std::runtime_error if a column is not positive
/// definite.
void build_coarse_levels(std::vector<Level>& levels);

/// Rebuilds the diagonals of a hierarchy built by build_coarse_levels after a change of the
/// finest matrix's diagonal alone (A has the pattern and the off-diagonal values of the matrix
/// of the last extract_finest_level: a transient's A + γC for a new γ): the finest diagonal
/// from A, each coarse one from the finer one and the coupling terms build_coarse kept, then
/// the column factorisations. The result equals a fresh build bit for bit, at the cost of one
/// pass over A's diagonal and the levels' diagonals. Throws as extract_finest_level (a
/// diagonal entry not positive and finite) and build_coarse_levels.
void update_diagonals(const SparseMatrix& A, std::vector<Level>& levels);

}  // namespace cposim::solver::gmg
