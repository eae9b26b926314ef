//! The R1CS-to-QAP witness map that matches snarkjs' proving keys.
//!
//! snarkjs' H query holds `τ^i·Z(τ)/δ`-style points over the odd coset of the domain (its setup evaluates
//! Lagrange bases there), so the prover must hand the MSM the values of `A·B − C` on that coset, not the
//! coefficients of `h` as arkworks' LibsnarkReduction computes them. This is snarkjs' `groth16_prove.js`
//! (buildABC, ifft, shift by the 2n-th root of unity, fft, join) over arkworks' FFTs; ark-circom's
//! CircomReduction is the same map.

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, Result as R1CSResult, SynthesisError};
use rayon::prelude::*;

pub struct SnarkjsReduction;

impl R1CSToQAP for SnarkjsReduction {
    /// Key generation is snarkjs' (`zkey new` + ceremony); this backend only proves.
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        _cs: ConstraintSystemRef<F>,
        _t: &F,
    ) -> R1CSResult<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize)> {
        Err(SynthesisError::AssignmentMissing)
    }

    /// `matrices.a`/`matrices.b` are the zkey's rows over the whole domain, public-input rows included, so
    /// nothing is appended here (unlike LibsnarkReduction, which adds the input constraints itself).
    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &ConstraintMatrices<F>,
        _num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> R1CSResult<Vec<F>> {
        let domain = D::new(num_constraints).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        if domain.size() != num_constraints {
            return Err(SynthesisError::PolynomialDegreeTooLarge);
        }
        let evaluate = |rows: &[Vec<(F, usize)>]| -> Vec<F> {
            rows.par_iter().map(|row| evaluate_constraint(row, full_assignment)).collect()
        };
        let mut a = evaluate(&matrices.a);
        let mut b = evaluate(&matrices.b);
        let mut c: Vec<F> = a.par_iter().zip(&b).map(|(a, b)| *a * b).collect();

        let coset_shift = D::new(2 * num_constraints).ok_or(SynthesisError::PolynomialDegreeTooLarge)?.element(1);
        for values in [&mut a, &mut b, &mut c] {
            domain.ifft_in_place(values);
            D::distribute_powers_and_mul_by_const(values, coset_shift, F::one());
            domain.fft_in_place(values);
        }
        a.par_iter_mut().zip(b).zip(c).for_each(|((a, b), c)| *a = *a * b - c);
        Ok(a)
    }

    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        _max_power: usize,
        _t: F,
        _zt: F,
        _delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        Err(SynthesisError::AssignmentMissing)
    }
}
