"""The five pretext encoders fine-tuned whole on the labels (rows ``<task>_finetune``): the
supervised recipe from the probe rows' own pretraining (training/finetuning.py).

    python -m training train contrastive_finetune --fraction 0.01 --seed 0
"""

from training.finetuning import FineTuneConfig as Config
from training.finetuning import train_fine_tuned as train_point

__all__ = ["Config", "train_point"]
