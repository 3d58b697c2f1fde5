"""The five pretext encoders fine-tuned whole on the labels (rows ``<task>_finetune``): the
supervised recipe from the probe rows' own pretraining (training/finetuning.py).

    python -m training train contrastive_finetune --fraction 0.01 --seed 0
"""

from training.companions import RESULTS_ONLY
from training.finetuning import FineTuneConfig as Config
from training.finetuning import train_fine_tuned as train_point

# A measurement of the probe row's encoder: its results rows ship, its classifiers do not.
point_shipping = RESULTS_ONLY

__all__ = ["Config", "point_shipping", "train_point"]
