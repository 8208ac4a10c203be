# Sphinx configuration of the oco.oco documentation site. scripts/docs.sh assembles the source
# (these guides plus the plugin reference that antsibull-docs generates from the plugins as they
# are now) in docs/build/src and builds it offline with warnings as errors.

project = 'oco.oco'
copyright = 'oco.oco contributors'
title = 'oco.oco collection documentation'
html_short_title = 'oco.oco'

extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'alabaster'
html_show_sphinx = False
html_copy_source = False
html_use_index = False
html_use_modindex = False

# The build has no network: no intersphinx inventories to fetch. References into the Ansible
# documentation that the generated plugin pages make are resolved to docs.ansible.com below.
intersphinx_mapping = {}
nitpicky = False
default_role = 'any'

ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/latest/'
ANSIBLE_LABELS = {
    'ansible_configuration_settings': 'reference_appendices/config.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
    'playbooks_variables': 'playbook_guide/playbooks_variables.html',
    'playbooks_templating': 'playbook_guide/playbooks_templating.html',
    'inventory_plugins': 'plugins/inventory.html',
    'lookup_plugins': 'plugins/lookup.html',
    'module_defaults': 'playbook_guide/playbooks_module_defaults.html',
}


def resolve_ansible_label(app, env, node, contnode):
    """Point known labels of the Ansible documentation (and ansible.builtin plugins) at docs.ansible.com.

    Any other unresolved reference still fails the build, so a typo in a guide is caught.
    """
    from docutils import nodes

    target = node.get('reftarget', '')
    if node.get('reftype') not in ('ref', 'any'):
        return None
    path = ANSIBLE_LABELS.get(target)
    if path is None and target.startswith('ansible_collections.ansible.builtin.'):
        plugin, _sep, kind = target[len('ansible_collections.ansible.builtin.'):].rpartition('_')
        if plugin and kind in ('module', 'lookup', 'inventory', 'filter', 'test', 'cache', 'callback', 'connection'):
            path = 'collections/ansible/builtin/%s_%s.html' % (plugin, kind)
    if path is None:
        return None
    reference = nodes.reference('', '', internal=False, refuri=ANSIBLE_DOCS + path)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('missing-reference', resolve_ansible_label)
